def balance_after(plan, opening_balance, monthly_spend, months):
    balance = opening_balance
    for _ in range(months):
        balance += RULES[f"plan.{plan}.monthly_connects"]
        balance = max(0, balance - monthly_spend)
    return balance
