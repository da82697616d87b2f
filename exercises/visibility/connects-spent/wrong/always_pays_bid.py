def connects_spent(required, bid, top_slot_at_close, client_interacted):
    return required + bid
