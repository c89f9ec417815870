"""The missing persons API: episodes and their changes, the dashboard, repeat flags and the import
(missing_persons/api_urls.py).

Thin views, as in disclosures/api: an input serializer checks the shape of the request, one service
call does the work (a refusal is a django ValidationError, which the project's handler answers as a
400 naming the field; an out-of-date ``version`` is a 409), an output serializer answers. Every read of
an episode goes through ``episode_get_for``, so a user who may not see it gets a logged 404 whatever
they asked to do; one who may see it but not change it (a lead agency case worker) gets the service's
refusal, a 400.
"""
