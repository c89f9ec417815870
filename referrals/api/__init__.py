"""The referrals and consultations API.

Every view is thin: an input serializer checks the shape of the request, one service call does the
work (a refusal is a django ValidationError, which the project's handler answers as a 400 naming the
field), an output serializer answers. Every read goes through a selector that takes the acting user,
so the sharing policy and the access log apply; a record the user may not see is a logged 404, even
when the request was to change it.

Partner agencies see a referral once it is shared with them, and then only its summary: what a viewer
sees of a record is the sharing policy's audience (referrals/policy.py), applied by AudienceSerializer.
"""
