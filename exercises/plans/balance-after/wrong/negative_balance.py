def balance_after(plan, opening_balance, monthly_spend, months):
    life = RULES["expiry.months"]
    lots = [[0, opening_balance]] if opening_balance else []
    debt = 0
    for month in range(1, months + 1):
        lots = [lot for lot in lots if lot[0] > month - life]
        lots.append([month, RULES[f"plan.{plan}.monthly_connects"]])
        wanted = monthly_spend
        while lots and wanted > 0:
            used = min(lots[0][1], wanted)
            lots[0][1] -= used
            wanted -= used
            if lots[0][1] == 0:
                lots.pop(0)
        debt += wanted
    return sum(amount for _, amount in lots) - debt
