def balance_after(plan, opening_balance, monthly_spend, months):
    life = RULES["expiry.months"]
    lots = [[0, opening_balance]] if opening_balance else []
    for month in range(1, months + 1):
        lots = [lot for lot in lots if month - lot[0] < life - 1]
        lots.append([month, RULES[f"plan.{plan}.monthly_connects"]])
        wanted = monthly_spend
        while lots and wanted > 0:
            used = min(lots[0][1], wanted)
            lots[0][1] -= used
            wanted -= used
            if lots[0][1] == 0:
                lots.pop(0)
    return sum(amount for _, amount in lots)
