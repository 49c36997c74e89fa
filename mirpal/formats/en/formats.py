# The network reads English outside the United States: day before month and a 24-hour clock,
# as in the Russian pages, instead of Django's "11/30/2026 5:44 a.m.". Input formats stay
# Django's, so the admin's date and time fields read what they always did.
DATE_FORMAT = "j F Y"  # 30 November 2026
TIME_FORMAT = "H:i"  # 05:44
DATETIME_FORMAT = "j F Y, H:i"  # 30 November 2026, 05:44
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 30 November
SHORT_DATE_FORMAT = "j M Y"  # 30 Nov 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 30 Nov 2026, 05:44
FIRST_DAY_OF_WEEK = 1  # Monday
