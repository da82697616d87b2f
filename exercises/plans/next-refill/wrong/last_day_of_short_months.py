import calendar
from datetime import date


def next_refill(billing_day, today):
    this_day = min(billing_day, calendar.monthrange(today.year, today.month)[1])
    this_month = today.replace(day=this_day)
    if this_month > today:
        return this_month
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, min(billing_day, calendar.monthrange(year, month)[1]))
