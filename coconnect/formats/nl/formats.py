# One Dutch date style everywhere: "1 december 2026" and "1 december 2026, 14:33". Templates use
# these names (|date:"DATE_FORMAT") instead of their own format strings; `M` would give "Dec".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j-n-Y"
SHORT_DATETIME_FORMAT = "j-n-Y H:i"
