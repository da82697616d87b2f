def balance_after(plan, opening_balance, monthly_spend, months):
    """The Connects balance after `months` refills, spending oldest first."""
    balance = opening_balance
    return balance
