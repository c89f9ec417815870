"""The strategy API: the decision makers' threshold queue, threshold decisions, strategy discussions and
their record, and 'my actions'.

The conventions of referrals/api/ hold: an input serializer checks the shape of the request, one
service call does the work (a refusal is a django ValidationError, which the project's handler answers
as a 400 naming the field, or a 409 for an out-of-date version), an output serializer answers. Every
read goes through a selector that takes the acting user, so a discussion (or an action) the user may
not see is a logged 404, even when the request was to change it.

A discussion's detail lists the answers it considers by id only: their content is read at the
information requests endpoints, which apply the sharing policy to each answer.
"""
