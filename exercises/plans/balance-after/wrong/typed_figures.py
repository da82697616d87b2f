ALLOWANCE = {"basic": {{ plan.basic.monthly_connects }}, "plus": {{ plan.plus.monthly_connects }}}


def balance_after(plan, opening_balance, monthly_spend, months):
    lots = [[0, opening_balance]] if opening_balance else []
    for month in range(1, months + 1):
        lots = [lot for lot in lots if lot[0] > month - {{ expiry.months }}]
        lots.append([month, ALLOWANCE[plan]])
        wanted = monthly_spend
        while lots and wanted > 0:
            used = min(lots[0][1], wanted)
            lots[0][1] -= used
            wanted -= used
            if lots[0][1] == 0:
                lots.pop(0)
    return sum(amount for _, amount in lots)
