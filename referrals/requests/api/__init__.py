"""The information requests API (referrals/requests/api_urls.py): ``inputs`` (what the endpoints take),
``output`` (what they answer) and ``views``."""
