"""How the book prints numbers and units."""


def test_power_of_ten_prints_superscript_exponents():
    from ogn_lib.book.tables import power_of_ten

    assert power_of_ten(3.1457e-06) == "3×10⁻⁶"
    assert power_of_ten(2.5e12, digits=2) == "2.5×10¹²"
