"""The disclosures API: applications and their workflow (applications.py), the research packages
(packages.py); what they take (inputs.py) and answer (output.py); routed in disclosures/api_urls.py.

Thin views, as in referrals/api/: an input serializer checks the shape of the request, one service
call does the work (an action is a ``RecordActionAPI``, mash/common/actions.py; a refusal is a django
ValidationError, which the project's handler answers as a 400 naming the field; an out-of-date
version is a 409, with the saved values where the service gives them), an output serializer answers.
Every read goes through a selector that takes the acting user, so the sharing policy and the access
log apply.
"""
