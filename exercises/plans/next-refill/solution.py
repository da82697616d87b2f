from datetime import date


def next_refill(billing_day, today):
    """The first date strictly after `today` on which monthly Connects arrive."""
    late = billing_day >= RULES["refill.late_start_day"]
    refill_day = 1 if late else billing_day
    this_month = today.replace(day=refill_day)
    if this_month > today:
        return this_month
    if today.month == 12:
        return date(today.year + 1, 1, refill_day)
    return date(today.year, today.month + 1, refill_day)
