"""Analytics over the event tables, written once in Ibis: seed figures, indicators, disclosure control."""
