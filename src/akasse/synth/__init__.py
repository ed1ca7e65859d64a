"""The calibrated synthetic national population: persons, spells, conversations and the weekly panel.

It enters the system at the event rows (STYLE.md): `generate` draws a-kasse members given notice or
becoming unemployed Sep 2017 – Jan 2023 through the domain rules and writes the event tables through
`akasse.events`. docs/synthetic-data.md documents the model and its assumed parameters.
"""
