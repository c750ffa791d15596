"""Representatives: legislatures, parties, deputies and their mandates, attendance, roll-call
votes and the public cost of parliament, each figure with its source."""
