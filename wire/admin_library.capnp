@0xaaddaeb95164c047;
# The tape library types of the admin interface (admin.capnp imports them;
# issue 8): libraries, their elements (SMC-3) and cartridges. Split from
# admin.capnp by concern; the C++ namespace is the same, so code names them
# wire::admin::LibraryInfo as before.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire::admin");

struct ElementPlace {
  # Where a new cartridge goes.
  union {
    any @0 :Void;               # the verb's default
    slot @1 :UInt32;            # storage element 1..slots (mtx's numbering)
    importExport @2 :UInt32;    # import/export element 1..importExport
  }
}

enum ElementType {
  transport @0;
  slot @1;
  importExport @2;
  drive @3;
}

struct ElementInfo {
  type @0 :ElementType;
  number @1 :UInt32;         # 1-based within its type
  address @2 :UInt16;        # SMC-3 element address (READ ELEMENT STATUS)
  barcode @3 :Text;          # the cartridge it holds; empty: none
  hasSource @4 :Bool;        # sourceAddress is valid (SMC-3 SVALID)
  sourceAddress @5 :UInt16;  # the slot the cartridge last left
  drive @6 :Text;            # drives: the LU name
}

struct LibraryInfo {
  name @0 :Text;
  changer @1 :Text;             # its changer LU
  drives @2 :List(Text);        # its drive LUs, in element order
  slots @3 :UInt32;
  importExport @4 :UInt32;
  online @5 :Bool;              # the changer answered: `elements` is its map
  elements @6 :List(ElementInfo);
}

struct CartridgeInfo {
  barcode @0 :Text;
  library @1 :Text;
  path @2 :Text;             # its file
  capacityBytes @3 :UInt64;
  usedBytes @4 :UInt64;      # up to end of data
  writeProtect @5 :Bool;
  location @6 :Text;         # "slot N", "import/export N", "drive NAME", "unknown"
  address @7 :UInt16;        # its element address (0: unknown)
  error @8 :Text;            # the file could not be read (usedBytes, writeProtect unset)
}
