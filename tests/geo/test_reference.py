from __future__ import annotations

from collections import Counter

from arna.geo.aliases import all_aliases
from arna.geo.reference import COUNTRY_KATO, boundaries, units


def test_20_regions_and_224_districts() -> None:
    table = units()
    levels = Counter(u.level for u in table.values())
    assert levels == {0: 1, 1: 20, 2: 224}
    for unit in table.values():
        assert len(unit.kato) == 9 and unit.kato.isdigit()
        assert unit.name_kk and unit.name_ru and unit.name_en
        if unit.kato != COUNTRY_KATO:
            assert unit.parent_kato in table
            assert unit.kato[:2] == (unit.parent_kato or "")[:2] or unit.level == 1


def test_regions_have_iso_codes_matching_kato() -> None:
    for unit in units().values():
        if unit.level == 1:
            assert unit.iso_3166_2 == f"KZ-{unit.kato[:2]}"


def test_regions_split_in_2022_carry_their_start_date() -> None:
    for kato in ("100000000", "330000000", "620000000"):
        assert units()[kato].valid_from is not None
        assert units()[kato].valid_from.isoformat() == "2022-06-08"  # type: ignore[union-attr]


def test_population_is_known_for_regions_and_adds_up() -> None:
    table = units()
    regions = [u for u in table.values() if u.level == 1]
    assert all(u.population for u in regions)
    census_2023 = [
        u.population for u in regions if u.population_date and u.population_date.year == 2023
    ]
    assert len(census_2023) >= 9  # the rest come from the partial 2026 release
    assert table[COUNTRY_KATO].population == 20_495_975  # 2026-01-01


def test_every_unit_has_a_boundary() -> None:
    regions, districts = boundaries(1), boundaries(2)
    for unit in units().values():
        if unit.level == 1:
            assert unit.kato in regions
        elif unit.level == 2:
            assert unit.kato in districts


def test_every_unit_has_aliases_in_three_languages() -> None:
    langs: dict[str, set[str]] = {}
    for alias in all_aliases():
        langs.setdefault(alias.kato, set()).add(alias.lang)
    for kato in units():
        assert {"kk", "ru", "en"} <= langs[kato], kato
