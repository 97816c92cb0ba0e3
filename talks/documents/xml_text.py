"""Text that XML documents can hold.

XML 1.0 has no place for most control characters (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F), unpaired surrogates or U+FFFE/U+FFFF. An event typed or imported with one (a
vertical tab pasted from Word, an escape from a terminal) would break every Word briefing
(python-docx refuses it) and leaks into PDFs and SVG maps. Documents drop them.
"""

import dataclasses
import re

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML cannot hold."""
    return NOT_XML.sub("", text)


def xml_safe_copy(value):
    """A copy of `value` (dataclasses, lists, tuples, dicts, strings) with every string made
    XML-safe. Anything else (dates, numbers, model instances) is kept as it is."""
    if isinstance(value, str):
        return xml_safe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: xml_safe_copy(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(xml_safe_copy(item) for item in value))
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: xml_safe_copy(item) for key, item in value.items()}
    return value
