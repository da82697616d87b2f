def connects_spent(required, bid, top_slot_at_close, client_interacted):
    return required + (bid if top_slot_at_close and client_interacted else 0)
