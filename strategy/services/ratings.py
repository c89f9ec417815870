"""The optional rating of the answers a threshold decision relied on: was each sufficient to decide on,
and why not. One rule for the page and the API (``rating_problems``): the same input gets the same
message, naming the answer's agency."""

from dataclasses import dataclass

from referrals.models import InformationRequest
from strategy.models import REASON_MAX_LENGTH, AnswerRating, ThresholdDecision


@dataclass(frozen=True)
class RatingInput:
    request: InformationRequest
    sufficient: bool
    reason: str = ""


def rating_problems(ratings, relied_on) -> list[tuple[int, str, str]]:
    """Each problem as (the request's id, the field at fault: 'sufficient' or 'reason', the message)."""
    relied = {answer.pk for answer in relied_on}
    problems, seen = [], set()
    for rating in ratings:
        agency = rating.request.agency
        if rating.request.pk in seen:
            problems.append((rating.request.pk, "sufficient", f"{agency}'s answer is rated more than once."))
            continue
        seen.add(rating.request.pk)
        if rating.request.pk not in relied:
            problems.append(
                (
                    rating.request.pk,
                    "sufficient",
                    f"{agency}'s answer is rated but the decision does not rely on it: choose it as an "
                    "answer relied on, or leave it unrated.",
                )
            )
        elif not rating.sufficient and not rating.reason.strip():
            problems.append((rating.request.pk, "reason", f"Say why {agency}'s answer was not sufficient."))
        elif len(rating.reason.strip()) > REASON_MAX_LENGTH:
            problems.append(
                (
                    rating.request.pk,
                    "reason",
                    f"The reason {agency}'s answer was not sufficient must be "
                    f"{REASON_MAX_LENGTH:,} characters or fewer.",
                )
            )
    return problems


def ratings_record(*, decision: ThresholdDecision, ratings, by, at) -> list[AnswerRating]:
    """Save the ratings of a decision just made (the caller checked them with ``rating_problems``). A
    reason is kept only for an answer that was not sufficient."""
    rows = [
        AnswerRating(
            threshold_decision=decision,
            request=rating.request,
            sufficient=rating.sufficient,
            reason="" if rating.sufficient else rating.reason.strip(),
            rated_by=by,
            rated_at=at,
        )
        for rating in ratings
    ]
    for row in rows:
        row.full_clean(exclude=["threshold_decision"], validate_constraints=False)
        row.save()  # one by one: each is an audit log row
    return rows
