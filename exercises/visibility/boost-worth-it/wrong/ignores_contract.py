def boost_worth_it(bid, contract_usd, win_chance, boosted_win_chance):
    return boosted_win_chance - win_chance > bid * RULES["purchase.price_per_connect_usd"]
