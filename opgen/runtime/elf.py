"""The exported symbols of an ELF shared library, read with the standard library only.

Used to find a package's ``<Package>InterfaceProvider`` when the user names only the library: the
runtime must not depend on binutils. Only what that needs is read: the section headers, the
``.dynsym`` table and its string table.
"""

from __future__ import annotations

import struct
from pathlib import Path

_SHT_DYNSYM = 11
_SHN_UNDEF = 0
_STB_GLOBAL, _STB_WEAK = 1, 2
_STV_DEFAULT, _STV_PROTECTED = 0, 3


class ElfError(ValueError):
    """The file is not an ELF shared library this reader understands."""


def exported_symbols(path: Path) -> list[str]:
    """The defined, globally visible symbols of the dynamic symbol table, in table order."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or len(data) < 52:
        raise ElfError(f"{path} is not an ELF file")
    is_64 = {1: False, 2: True}.get(data[4])
    endian = {1: "<", 2: ">"}.get(data[5])
    if is_64 is None or endian is None:
        raise ElfError(f"{path}: unknown ELF class or byte order")
    try:
        return _dynamic_symbols(data, is_64, endian)
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise ElfError(f"{path}: malformed ELF file ({exc})") from exc


def _dynamic_symbols(data: bytes, is_64: bool, endian: str) -> list[str]:
    header = struct.unpack_from(endian + ("HHIQQQIHHHHHH" if is_64 else "HHIIIIIHHHHHH"), data, 16)
    shoff, shentsize, shnum = header[5], header[10], header[11]
    section_format = endian + ("IIQQQQIIQQ" if is_64 else "IIIIIIIIII")
    if shoff == 0 or shentsize < struct.calcsize(section_format):
        raise ElfError("no section headers")
    if shnum == 0:  # more than 0xff00 sections: the count is in the first header's sh_size
        shnum = struct.unpack_from(section_format, data, shoff)[5]
    sections = [
        struct.unpack_from(section_format, data, shoff + i * shentsize) for i in range(shnum)
    ]
    symbol_format = endian + ("IBBHQQ" if is_64 else "IIIBBH")
    names: list[str] = []
    for section in sections:
        if section[1] != _SHT_DYNSYM:
            continue
        offset, size, link, entsize = section[4], section[5], section[6], section[9]
        strtab = sections[link]
        str_offset, str_size = strtab[4], strtab[5]
        entsize = entsize or struct.calcsize(symbol_format)
        for pos in range(offset + entsize, offset + size, entsize):  # entry 0 is the null symbol
            fields = struct.unpack_from(symbol_format, data, pos)
            name_offset = fields[0]
            info, other, shndx = (fields[1:4]) if is_64 else (fields[3:6])
            if shndx == _SHN_UNDEF or info >> 4 not in (_STB_GLOBAL, _STB_WEAK):
                continue
            if other & 3 not in (_STV_DEFAULT, _STV_PROTECTED) or name_offset >= str_size:
                continue
            start = str_offset + name_offset
            end = data.index(b"\0", start)
            names.append(data[start:end].decode("ascii"))
    return names
