from datetime import date


def next_refill(billing_day, today):
    refill_day = 1 if billing_day >= RULES["refill.late_start_day"] else billing_day
    return today.replace(day=refill_day)
