"""Argon2id hashing and the minimum password policy."""

from __future__ import annotations

import pytest

from workstation.security.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    HashParameters,
    PasswordProblem,
    Passwords,
    WeakPassword,
    check_password,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)

CHEAP = HashParameters(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1)


def test_the_default_hash_is_argon2id_with_64_mib() -> None:
    stored = hash_password("correct horse 7")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse 7")
    assert not verify_password(stored, "correct horse 8")
    assert not needs_rehash(stored)


def test_each_hash_has_its_own_salt() -> None:
    passwords = Passwords(CHEAP)
    first, second = passwords.hash("Same password"), passwords.hash("Same password")
    assert first != second
    assert passwords.verify(first, "Same password") and passwords.verify(second, "Same password")


def test_verify_is_false_for_missing_or_broken_hashes() -> None:
    passwords = Passwords(CHEAP)
    assert not passwords.verify(None, "anything at all 1")
    assert not passwords.verify("", "anything at all 1")
    assert not passwords.verify("not a hash", "anything at all 1")
    assert not passwords.verify(passwords.hash("x" * 10 + "1"), "x" * (MAX_LENGTH + 1))


def test_a_hash_with_other_parameters_needs_rehashing() -> None:
    cheap = Passwords(CHEAP).hash("Password 123")
    default = Passwords()
    assert default.verify(cheap, "Password 123")  # old hashes keep working...
    assert default.needs_rehash(cheap)  # ...and are replaced at the next sign-in
    assert default.needs_rehash("garbage")


def test_the_same_characters_from_another_input_method_verify() -> None:
    passwords = Passwords(CHEAP)
    composed = "Caf\u00e9-password-1"
    decomposed = "Cafe\u0301-password-1"
    assert passwords.verify(passwords.hash(composed), decomposed)


def test_chinese_passwords_work() -> None:
    passwords = Passwords(CHEAP)
    stored = passwords.hash("我的密码很长很安全2026")
    assert passwords.verify(stored, "我的密码很长很安全2026")
    assert password_problems("我的密码很长很安全2026") == []


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Short1!", [PasswordProblem.TOO_SHORT]),
        ("", [PasswordProblem.TOO_SHORT]),
        ("alllowercaseletters", [PasswordProblem.ONE_CLASS]),
        ("ALLUPPERCASELETTERS", [PasswordProblem.ONE_CLASS]),
        ("12345678901234", [PasswordProblem.ONE_CLASS]),
        ("abc", [PasswordProblem.TOO_SHORT, PasswordProblem.ONE_CLASS]),
        ("lowercase and spaces", []),
        ("Mixed-Case-Letters", []),
        ("digits and letters 42", []),
        (" padded password 1", [PasswordProblem.EDGE_SPACES]),
        ("Aa1" * 100, [PasswordProblem.TOO_LONG]),
    ],
)
def test_the_policy(password: str, problems: list[PasswordProblem]) -> None:
    assert password_problems(password) == problems


def test_the_policy_refuses_the_username_inside_the_password() -> None:
    assert password_problems("hr.zhou-2026!", "hr.zhou") == [PasswordProblem.CONTAINS_USERNAME]
    assert password_problems("HR.ZHOU-2026!", "hr.zhou") == [PasswordProblem.CONTAINS_USERNAME]
    assert password_problems("hr.zhou-2026!", "li") == []


def test_the_limits_are_what_the_policy_says() -> None:
    assert MIN_LENGTH == 10
    assert password_problems("a1" * 5) == []
    assert password_problems("a1" * 4 + "a") == [PasswordProblem.TOO_SHORT]


def test_weak_password_names_every_rule_broken() -> None:
    with pytest.raises(WeakPassword) as caught:
        check_password("abc")
    assert caught.value.problems == [PasswordProblem.TOO_SHORT, PasswordProblem.ONE_CLASS]
    message = str(caught.value)
    assert "at least 10 characters" in message
    assert "two kinds of characters" in message
    check_password("a good passphrase 1")  # no error
