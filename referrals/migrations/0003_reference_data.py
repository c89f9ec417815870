from django.db import migrations

TIMESCALES = [("red", "working_hours", 4), ("amber", "working_days", 1), ("green", "working_days", 3)]

QUESTIONS = {
    "police": [
        "Any police intelligence, crime reports or domestic abuse incidents involving the subjects or the household "
        "in the last two years?",
        "Any warning markers, bail conditions or orders relevant to the safety of the child or adult?",
    ],
    "health": [
        "Is the child registered with a GP and up to date with health appointments and immunisations?",
        "Any health visitor, school nurse, A&E or mental health contacts of concern for the subjects?",
    ],
    "children_young_people": ["Is the child or family known to children and young people's services, and how?"],
    "adult_services": ["Are any adults in the household known to adult social care or adult mental health services?"],
    "education": ["Attendance, exclusions and any safeguarding concerns recorded by the school or nursery?"],
    "childrens_social_care": ["Any previous social care involvement, plans or assessments for the subjects?"],
}


def load(apps, schema_editor):
    RagTimescale = apps.get_model("referrals", "RagTimescale")
    QuestionTemplate = apps.get_model("referrals", "QuestionTemplate")
    for rag, basis, amount in TIMESCALES:
        RagTimescale.objects.get_or_create(rag=rag, defaults={"basis": basis, "amount": amount})
    for kind, questions in QUESTIONS.items():
        for position, text in enumerate(questions):
            QuestionTemplate.objects.get_or_create(agency_kind=kind, text=text, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_information_requests")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
