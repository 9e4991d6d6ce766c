"""The bad-input corpus of ``polku packs``: broken people files, each with every line printed.

Each case is a whole CSV file checked against tests/fixtures/cohorts (programme
``ryhmat``: cohorts ``kevat`` and ``syksy``, roles ``uusi``, ``mentori`` and ``hr``)
and lists the exact diagnostics, ``people.csv:LINE:COL: error: …`` at the field
that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = "name,programme,start_date,mentor,email\n"
GOOD = "Anna Virtanen,ryhmat,2027-01-04,Liisa,anna@example.fi\n"


@dataclass(frozen=True)
class Case:
    name: str
    text: str | bytes
    expected: tuple[str, ...]


def at(line: int, column: int, message: str, severity: str = "error") -> str:
    return f"people.csv:{line}:{column}: {severity}: {message}"


COLUMNS = "name, programme, start_date, cohort, mentor, location, email, language, role"

CASES = [
    Case(
        "unknown-column",
        "name,programme,start_date,emial\nAnna,ryhmat,2027-01-04,a@b.fi\n",
        (at(1, 27, f"unknown column 'emial' (did you mean 'email'?); the columns are {COLUMNS}"),),
    ),
    Case(
        "missing-columns",
        "name,start\nAnna,2027-01-04\n",
        (
            at(
                1,
                6,
                f"unknown column 'start' (did you mean 'start_date'?); the columns are {COLUMNS}",
            ),
            at(
                1,
                11,
                "the header row has no programme, start_date column; the header needs at "
                "least name, programme, start_date",
            ),
        ),
    ),
    Case(
        "column-twice",
        "name,programme,start_date,Name\nAnna,ryhmat,2027-01-04,Anna\n",
        (at(1, 27, "column 'name' is there twice; keep one"),),
    ),
    Case(
        "column-without-name",
        "name,programme,,start_date\nAnna,ryhmat,,2027-01-04\n",
        (at(1, 16, "a column has no name; name it or remove it"),),
    ),
    Case(
        "empty-file",
        "\n\n",
        (at(1, 1, f"the file is empty; write a header row: {COLUMNS.replace(', ', ',')}"),),
    ),
    Case(
        "header-only",
        HEADER,
        (at(1, 39, "the file has a header row but no people; add a row each"),),
    ),
    Case(
        "not-utf8",
        (
            HEADER + "Anna Virtanen,ryhmat,2027-01-04,Liisa,a@b.fi\nPäivi,ryhmat,2027-01-04,,\n"
        ).encode("latin-1"),
        (
            at(
                3,
                2,
                "the file is not UTF-8 text (byte 0xe4); save it as 'CSV UTF-8' in Excel, or "
                "as UTF-8 in your editor",
            ),
        ),
    ),
    Case(
        "unclosed-quote",
        HEADER + GOOD + 'Berit,ryhmat,2027-01-04,"Liisa, Pekka,b@x.fi\n',
        (
            at(
                3,
                25,
                'this quoted field has no closing quote ("); close it, and write a quote '
                'inside a field as two quotes ("")',
            ),
        ),
    ),
    Case(
        "text-after-closing-quote",
        HEADER + 'Berit,ryhmat,2027-01-04,"Liisa" Mäki,b@x.fi\n',
        (
            at(
                2,
                32,
                "text after the closing quote of a quoted field; put the whole field in "
                'quotes, with each quote inside it doubled ("")',
            ),
        ),
    ),
    Case(
        "too-many-fields",
        HEADER + "Virtanen, Anna,ryhmat,2027-01-04,Liisa,a@b.fi\n",
        (
            at(
                2,
                40,
                "this row has 6 fields but the header has 5; put a field that holds a comma "
                "in quotes",
            ),
        ),
    ),
    Case(
        "unknown-programme",
        HEADER + "Anna,ryhma,2027-01-04,,\n",
        (
            at(
                2,
                6,
                "unknown programme 'ryhma' (did you mean 'ryhmat'?); the programmes are ryhmat",
            ),
        ),
    ),
    Case(
        "empty-programme",
        HEADER + "Anna,,2027-01-04,,\n",
        (at(2, 6, "the programme is empty; write a programme id"),),
    ),
    Case(
        "no-such-day",
        HEADER + "Anna,ryhmat,2027-02-30,,\n",
        (at(2, 13, "'2027-02-30' is not a date; write it as 2027-08-16 (or 16.8.2027)"),),
    ),
    Case(
        "not-a-date",
        HEADER + "Anna,ryhmat,maanantaina,,\nBerit,ryhmat,31.4.2027,,\n",
        (
            at(2, 13, "'maanantaina' is not a date; write it as 2027-08-16 (or 16.8.2027)"),
            at(3, 14, "'31.4.2027' is not a date; write it as 2027-08-16 (or 16.8.2027)"),
        ),
    ),
    Case(
        "no-start-date-no-cohort",
        HEADER + "Anna,ryhmat,,,\n",
        (
            at(
                2,
                13,
                "the start date is empty; write the first working day as 2027-08-16 (or "
                "16.8.2027), or name the person's cohort",
            ),
        ),
    ),
    Case(
        "unknown-cohort",
        "name,programme,cohort,start_date\nAnna,ryhmat,kesa,\n",
        (
            at(
                2,
                13,
                "programme 'ryhmat' has no cohort 'kesa' (did you mean 'kevat'?); its cohorts "
                "are kevat, syksy",
            ),
        ),
    ),
    Case(
        "unknown-role",
        "name,programme,start_date,role\nAnna,ryhmat,2027-01-04,mentor\n",
        (
            at(
                2,
                24,
                "programme 'ryhmat' has no role 'mentor' (did you mean 'mentori'?); its roles "
                "are uusi, mentori, hr",
            ),
        ),
    ),
    Case(
        "bad-email",
        HEADER + "Anna,ryhmat,2027-01-04,,anna.example.fi\n",
        (at(2, 25, "'anna.example.fi' is not an email address; write it as name@example.fi"),),
    ),
    Case(
        "unknown-language",
        "name,programme,start_date,language\nAnna,ryhmat,2027-01-04,suomi\n",
        (
            at(
                2,
                24,
                "unknown language 'suomi'; write one of fi, sv, en (or leave it empty for the "
                "programme's language)",
            ),
        ),
    ),
    Case(
        "empty-name",
        HEADER + GOOD + " ,ryhmat,2027-01-04,,\n",
        (at(3, 1, "the name is empty; write it"),),
    ),
    Case(
        "control-character",
        HEADER + "Anna\x07 Virtanen,ryhmat,2027-01-04,,\n",
        (at(2, 1, "the name holds a control character; remove it"),),
    ),
    Case(
        "long-name",
        HEADER + "A" * 201 + ",ryhmat,2027-01-04,,\n",
        (at(2, 1, "the name is longer than 200 characters"),),
    ),
    Case(
        "same-person-twice",
        HEADER + GOOD + "Berit Ek,ryhmat,2027-02-01,,\n" + GOOD.replace("anna@", "a.v@"),
        (
            at(
                4,
                1,
                "Anna Virtanen is already on line 2 (anna-virtanen/); give each person one row, "
                "and tell two people of one name apart (a middle name or an initial)",
            ),
        ),
    ),
    Case(
        "two-names-one-folder",
        HEADER + "Åsa Öhman,ryhmat,2027-01-04,,\nAsa Ohman,ryhmat,2027-02-01,,\n",
        (
            at(
                3,
                1,
                "Asa Ohman has the folder of Åsa Öhman on line 2 (asa-ohman/); give each "
                "person one row, and tell two people of one name apart (a middle name or an "
                "initial)",
            ),
        ),
    ),
    Case(
        "same-email-twice",
        HEADER + GOOD + "Berit Ek,ryhmat,2027-02-01,,ANNA@example.fi\n",
        (
            at(
                3,
                29,
                "the email address ANNA@example.fi is already Anna Virtanen's on line 2; give "
                "each person their own address",
            ),
        ),
    ),
    Case(
        "semicolons-as-excel-writes-them",
        "name;programme;start_date;email\r\nÅsa Öhman;ryhmät;2027-01-04;asa@\r\n",
        (
            at(
                2,
                11,
                "unknown programme 'ryhmät' (did you mean 'ryhmat'?); the programmes are ryhmat",
            ),
            at(2, 29, "'asa@' is not an email address; write it as name@example.fi"),
        ),
    ),
    Case(
        "a-line-break-in-a-quoted-field",
        HEADER + '"Anna\nVirtanen",ryhmat,2027-01-04,"Liisa\nMäki",a@b.fi\nBerit,ryhmat,x,,\n',
        # the second record starts on line 2 and ends on line 4: Berit is on line 5
        (at(5, 14, "'x' is not a date; write it as 2027-08-16 (or 16.8.2027)"),),
    ),
    Case(
        "byte-order-mark",
        "\ufeff" + HEADER + "Anna,ryhmat,2027-13-01,,\n",
        (at(2, 13, "'2027-13-01' is not a date; write it as 2027-08-16 (or 16.8.2027)"),),
    ),
    Case(
        "every-problem-of-a-file",
        HEADER
        + "Anna,ryhmt,2027-13-01,,anna@\n"
        + "Berit,ryhmat,32.1.2027,,b@x.fi\n"
        + "Anna,ryhmat,2027-02-01,,b@x.fi\n"
        + ",ryhmat,2027-02-01,,\n",
        (
            at(
                2,
                6,
                "unknown programme 'ryhmt' (did you mean 'ryhmat'?); the programmes are ryhmat",
            ),
            at(2, 12, "'2027-13-01' is not a date; write it as 2027-08-16 (or 16.8.2027)"),
            at(2, 24, "'anna@' is not an email address; write it as name@example.fi"),
            at(3, 14, "'32.1.2027' is not a date; write it as 2027-08-16 (or 16.8.2027)"),
            at(
                4,
                1,
                "Anna is already on line 2 (anna/); give each person one row, and tell two "
                "people of one name apart (a middle name or an initial)",
            ),
            at(
                4,
                25,
                "the email address b@x.fi is already Berit's on line 3; give each person "
                "their own address",
            ),
            at(5, 1, "the name is empty; write it"),
        ),
    ),
    Case(
        "a-start-that-is-not-a-working-day-is-a-warning",
        HEADER + "Anna,ryhmat,2027-06-19,,\n",
        (
            at(
                2,
                13,
                "2027-06-19 is not a working day; the person's first day is Monday 2027-06-21",
                "warning",
            ),
        ),
    ),
]
