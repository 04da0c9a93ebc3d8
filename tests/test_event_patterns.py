"""The EventBridge pattern matcher against EventBridge's documented examples.

The example event and the rules are those of "Content filtering in Amazon EventBridge event
patterns", "Arrays in Amazon EventBridge event patterns" and "Matching null values and
empty strings" (Amazon EventBridge User Guide), which are also Event Ruler's README
examples (github.com/aws/event-ruler): each rule there "matches the sample event".
Where a documented rule was written for another event (the prefix rules), its value is
adapted to this one. Unit tests, because the matching rules are the point; on_event's own
tests go through boto3.
"""

from __future__ import annotations

from typing import Any

import pytest

from ssm_mw_stub.model.event_patterns import EventPattern, InvalidEventPatternError

EVENT: dict[str, Any] = {
    "version": "0",
    "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "012345679012",
    "time": "2017-10-02T16:24:49Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
    "detail": {
        "c-count": 5,
        "d-count": 3,
        "x-limit": 301.8,
        "source-ip": "10.0.0.33",
        "instance-id": "i-000000aaaaaa00000",
        "state": "running",
    },
}

#: Documented rules that match EVENT.
MATCHING = [
    {"detail-type": ["EC2 Instance State-change Notification"],
     "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
     "detail": {"state": ["initializing", "running"]}},
    {"time": [{"prefix": "2017-10-02"}]},
    {"source": [{"prefix": {"equals-ignore-case": "AWS.EC"}}]},
    {"source": [{"suffix": "ec2"}]},
    {"source": [{"suffix": {"equals-ignore-case": "EC2"}}]},
    {"source": [{"equals-ignore-case": "AWS.EC2"}]},
    {"source": [{"wildcard": "aws.*"}]},
    {"detail": {"state": [{"anything-but": "initializing"}]}},
    {"detail": {"x-limit": [{"anything-but": 123}]}},
    {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
    {"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}},
    {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
    {"detail": {"state": [{"anything-but": {"prefix": ["init", "error"]}}]}},
    {"detail": {"instance-id": [{"anything-but": {"suffix": "1234"}}]}},
    {"detail": {"instance-id": [{"anything-but": {"suffix": ["1234", "6789"]}}]}},
    {"detail": {"state": [{"anything-but": {"equals-ignore-case": "Stopped"}}]}},
    {"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}},
    {"detail": {"state": [{"anything-but": {"wildcard": "*/bin/*.jar"}}]}},
    {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}],
                "d-count": [{"numeric": ["<", 10]}],
                "x-limit": [{"numeric": ["=", 3.018e2]}]}},
    {"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}},
    {"detail": {"c-count": [{"exists": True}]}},
    {"detail": {"nothing-here": [{"exists": False}]}},
    {"time": [{"prefix": "2017-10-02"}],
     "detail": {"state": [{"anything-but": "initializing"}],
                "c-count": [{"numeric": [">", 0, "<=", 5]}],
                "d-count": [{"numeric": ["<", 10]}],
                "x-limit": [{"anything-but": [100, 200, 300]}],
                "source-ip": [{"cidr": "10.0.0.0/8"}]}},
    {"source": ["aws.ec2"], "$or": [{"detail": {"state": ["stopped"]}},
                                    {"detail": {"c-count": [5]}}]},
    {"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]},
                        {"d-count": [{"numeric": ["<", 10]}]}]}},
]

#: The same rules, changed so that they must not match EVENT.
NOT_MATCHING = [
    {"detail": {"state": ["initializing"]}},
    {"time": [{"prefix": "2017-10-03"}]},
    {"source": [{"prefix": "EC2"}]},  # case matters without equals-ignore-case
    {"source": [{"wildcard": "aws.*.*"}]},
    {"detail": {"state": [{"anything-but": "running"}]}},
    {"detail": {"x-limit": [{"anything-but": [301.8]}]}},
    {"detail": {"state": [{"anything-but": {"prefix": "run"}}]}},
    {"detail": {"state": [{"anything-but": {"equals-ignore-case": "RUNNING"}}]}},
    {"detail": {"c-count": [{"numeric": [">", 5]}]}},
    {"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}},
    {"detail": {"c-count": [{"exists": False}]}},
    {"detail": {"nothing-here": [{"exists": True}]}},
    {"detail": {"nothing-here": [{"anything-but": "x"}]}},  # absent: no anything-but
    {"detail": {"c-count": ["5"]}},  # a string never matches a number
    {"$or": [{"detail": {"state": ["stopped"]}}, {"detail": {"c-count": [6]}}]},
]


@pytest.mark.parametrize("pattern", MATCHING, ids=lambda p: str(p)[:60])
def test_documented_rules_match_the_documented_event(pattern: dict[str, Any]) -> None:
    assert EventPattern(pattern).matches(EVENT)


@pytest.mark.parametrize("pattern", NOT_MATCHING, ids=lambda p: str(p)[:60])
def test_changed_rules_do_not_match_it(pattern: dict[str, Any]) -> None:
    assert not EventPattern(pattern).matches(EVENT)


def test_arrays_match_when_the_intersection_is_not_empty() -> None:
    pattern = EventPattern({"resources": [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
    ]})
    assert pattern.matches({"resources": [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893"
        "-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
    ]})
    assert not pattern.matches({"resources": ["arn:aws:ec2:us-east-1:1:instance/i-other"]})
    assert not pattern.matches({"resources": []})


def test_objects_in_arrays_match_one_element_at_a_time() -> None:
    event = {"employees": [{"firstName": "John", "lastName": "Doe"},
                           {"firstName": "Anna", "lastName": "Smith"},
                           {"firstName": "Peter", "lastName": "Jones"}]}
    assert EventPattern({"employees": {"firstName": ["Anna"]}}).matches(event)
    assert not EventPattern(
        {"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}
    ).matches(event)


def test_null_and_empty_string_are_values_of_their_own() -> None:
    event = {"detail": {"eventVersion": "", "responseElements": None}}
    assert EventPattern({"detail": {"eventVersion": [""]}}).matches(event)
    assert EventPattern({"detail": {"responseElements": [None]}}).matches(event)
    assert not EventPattern({"detail": {"eventVersion": [None]}}).matches(event)
    assert not EventPattern({"detail": {"responseElements": [""]}}).matches(event)
    assert EventPattern({"detail": {"responseElements": [{"exists": True}]}}).matches(event)


def test_exists_looks_at_leaves_only() -> None:
    event = {"detail": {"c-count": {"c1": 100}}}
    assert EventPattern({"detail": {"c-count": [{"exists": False}]}}).matches(event)
    assert not EventPattern({"detail": {"c-count": [{"exists": True}]}}).matches(event)


def test_wildcards_escape_asterisks_and_backslashes() -> None:
    assert EventPattern({"f": [{"wildcard": "a\\*b*"}]}).matches({"f": "a*bcd"})
    assert not EventPattern({"f": [{"wildcard": "a\\*b*"}]}).matches({"f": "axbcd"})
    assert EventPattern({"f": [{"wildcard": "c:\\\\dir\\\\*"}]}).matches({"f": "c:\\dir\\x"})


def test_a_pattern_may_be_given_as_json_text() -> None:
    assert EventPattern('{"source": ["aws.ec2"]}').matches(EVENT)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ([], "Filter is not an object"),
        ({}, "Empty objects are not allowed"),
        ({"source": "aws.ec2"}, '"source" must be an object or an array'),
        ({"source": []}, "Empty arrays are not allowed"),
        ({"source": [["nested"]]}, "Match value must be String, number, true, false, or null"),
        ({"source": [{"regex": "a.*"}]}, "Unrecognized match type regex"),
        ({"source": [{"prefix": "a", "suffix": "b"}]}, "Only one key allowed in match expression"),
        ({"source": [{"prefix": 5}]}, "prefix match pattern must be a string"),
        ({"source": [{"anything-but": [1, "a"]}]},
         "Inside anything but list, either all values are number or string, mixed type is not "
         "supported"),
        ({"source": [{"anything-but": [None]}]},
         "Inside anything but list, start|null|boolean is not supported."),
        ({"source": [{"anything-but": {"prefix": ""}}]}, "Null prefix/suffix not allowed"),
        ({"n": [{"numeric": ["<", 5, ">", 1]}]}, "Too many elements in numeric expression"),
        ({"n": [{"numeric": [">", "a"]}]}, "Value of > must be numeric"),
        ({"n": [{"exists": "yes"}]}, "exists match pattern must be either true or false."),
        ({"f": [{"wildcard": "a**"}]}, "Consecutive wildcard characters at pos 2"),
        ({"$or": [{"a": ["b"]}]}, "There must have at least 2 Objects in $or relationship."),
        ({"$or": [{"prefix": ["b"]}, {"a": ["c"]}]},
         "prefix is Ruler reserved fieldName which cannot be used inside $or."),
    ],
)
def test_invalid_patterns_are_refused_as_eventbridge_refuses_them(
    pattern: Any, reason: str
) -> None:
    with pytest.raises(InvalidEventPatternError) as raised:
        EventPattern(pattern)
    assert str(raised.value) == f"Event pattern is not valid. Reason: {reason}"
