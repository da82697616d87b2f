def take_oldest(lots, wanted):
    """Remove up to `wanted` Connects from the oldest lots."""
    while lots and wanted > 0:
        used = min(lots[0][1], wanted)
        lots[0][1] -= used
        wanted -= used
        if lots[0][1] == 0:
            lots.pop(0)


def balance_after(plan, opening_balance, monthly_spend, months):
    """The Connects balance after `months` refills, spending oldest first."""
    life = RULES["expiry.months"]
    cap = RULES["rollover.cap"]
    allowance = RULES[f"plan.{plan}.monthly_connects"]
    lots = [[0, opening_balance]] if opening_balance else []  # [month issued, amount], oldest first
    for month in range(1, months + 1):
        lots = [lot for lot in lots if lot[0] > month - life]
        if cap is not None:
            take_oldest(lots, sum(amount for _, amount in lots) - cap)
        if allowance:
            lots.append([month, allowance])
        take_oldest(lots, monthly_spend)
    return sum(amount for _, amount in lots)
