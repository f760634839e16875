"""The official REST web tools (reference §17.6): `/v1/tools/search`, `/search_pro` and
`/fetch`. Pure: results are made from the seed and the query or URL (or taken from the
scripted results a test gave), and the rules the schema cannot say are checked here."""
