import calendar
from datetime import date


def next_refill(billing_day, today):
    refill_day = 1 if billing_day > RULES["refill.late_start_day"] else billing_day

    def on(year, month):
        return date(year, month, min(refill_day, calendar.monthrange(year, month)[1]))

    this_month = on(today.year, today.month)
    if this_month > today:
        return this_month
    if today.month == 12:
        return on(today.year + 1, 1)
    return on(today.year, today.month + 1)
