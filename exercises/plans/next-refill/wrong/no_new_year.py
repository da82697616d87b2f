from datetime import date


def next_refill(billing_day, today):
    refill_day = 1 if billing_day >= RULES["refill.late_start_day"] else billing_day
    this_month = today.replace(day=refill_day)
    if this_month > today:
        return this_month
    return date(today.year, today.month + 1, refill_day)
