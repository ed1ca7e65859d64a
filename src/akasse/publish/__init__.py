"""Publication of STAR-style monthly monitoring: open data, a static bilingual site and dated releases.

`akasse publish DIR --out SITE` computes the indicator catalogue over the event tables in DIR, applies
disclosure control, and writes SITE in one swap (nothing is touched when anything fails):

    SITE/index.html                  landing page (Danish) with the language choice
    SITE/style.css                   the one stylesheet (no framework, no JavaScript)
    SITE/da/…, SITE/en/…             the same pages in Danish and English: index, indikatorer/<id>,
                                     akasser/<code>, revisioner, data
    SITE/releases/<YYYY-MM-DD>/      one folder per release, kept from earlier runs: manifest.json,
                                     data/<id>.csv|.json|.xlsx|.metadata.json, revisions.csv, snapshot.parquet
"""
