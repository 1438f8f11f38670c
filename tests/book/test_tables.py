"""How the book prints numbers and units."""


def test_power_of_ten_prints_superscript_exponents():
    from ogn_lib.book.tables import power_of_ten

    assert power_of_ten(3.1457e-06) == "3×10⁻⁶"
    assert power_of_ten(2.5e12, digits=2) == "2.5×10¹²"


def test_a_number_far_from_one_is_a_power_of_ten_never_an_exponent():
    from ogn_lib.book.tables import number

    assert number(2.94e-14, 2) == "2.9×10⁻¹⁴"
    assert number(-6.79e-06) == "-6.79×10⁻⁶"
    assert number(2.13e6) == "2.13×10⁶"
    assert [number(v) for v in (0.0123, 12.345, 1970.4, 999.96)] == [
        "0.0123", "12.3", "1,970", "1,000"]


def test_formulas_of_the_systems_get_subscripts_and_other_words_do_not():
    from ogn_lib.book.tables import formula_markdown, formula_mathtext

    assert formula_markdown("metallic Cu64.5Zr35.5 liquid") == (
        "metallic Cu{sub}`64.5`Zr{sub}`35.5` liquid")
    assert formula_markdown("Silica SiO2.") == "Silica SiO{sub}`2`."
    assert formula_mathtext("Lennard-Jones A80B20") == "Lennard-Jones A$_{80}$B$_{20}$"
    untouched = "S10, SHA256, MD5, H100, CuZr, Si-O, T2"
    assert formula_markdown(untouched) == untouched
