"""One display format everywhere (Django reads the locale's formats, not the settings, for en-gb):
a date as '7 December 2026', a date and time as '7 Dec 2026 10:00'. Templates name them
(``|date`` or ``|date:"DATETIME_FORMAT"``); Python code uses mash/common/dates.py."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
FIRST_DAY_OF_WEEK = 1
