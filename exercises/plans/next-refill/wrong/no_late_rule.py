from datetime import date
def next_refill(billing_day, today):
    this_month = today.replace(day=billing_day)
    if this_month > today:
        return this_month
    if today.month == 12:
        return date(today.year + 1, 1, billing_day)
    return date(today.year, today.month + 1, billing_day)
