# The same shape as Dutch (coconnect/formats/nl), in English words: "1 December 2026, 14:33",
# a 24-hour clock, never Django's American "Dec. 1, 2026, 2:33 p.m.".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j-n-Y"
SHORT_DATETIME_FORMAT = "j-n-Y H:i"
