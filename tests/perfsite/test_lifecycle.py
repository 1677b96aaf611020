"""The shared lifecycle pattern: a declared table, guarded transitions, one InvalidTransition."""

import pytest
from django.db import models

from perfsite.lifecycle import InvalidTransition, Lifecycle


class Light(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


LIGHT = Lifecycle("light", Light, {"go": ({Light.RED, Light.AMBER}, Light.GREEN), "stop": ({Light.GREEN}, Light.RED)})


@pytest.mark.parametrize(
    ("transition", "current", "allowed", "target"),
    [
        ("go", "red", True, "green"),
        ("go", "amber", True, "green"),
        ("go", "green", False, None),
        ("stop", "green", True, "red"),
        ("stop", "red", False, None),
        ("stop", "amber", False, None),
    ],
)
def test_transition_table(transition, current, allowed, target):
    assert LIGHT.can(transition, current) is allowed
    if allowed:
        assert LIGHT.next_status(transition, current) == target
    else:
        with pytest.raises(InvalidTransition) as caught:
            LIGHT.next_status(transition, current)
        assert caught.value.current == current
        assert str(caught.value).startswith(f"A light cannot {transition} when it is {current}; only when it is")


def test_unknown_state_in_table_is_refused_at_declaration():
    with pytest.raises(ValueError, match="unknown states"):
        Lifecycle("light", Light, {"go": ({"blue"}, Light.GREEN)})


def test_unknown_transition_is_a_key_error():
    with pytest.raises(KeyError):
        LIGHT.can("blink", "red")


def test_constraint_names_every_state():
    constraint = LIGHT.status_constraint("status", "light_status_valid")
    assert constraint.name == "light_status_valid"
    assert set(dict(constraint.condition.children)["status__in"]) == {"red", "amber", "green"}
