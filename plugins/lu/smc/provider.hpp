#pragma once
// The media changer LU provider ("smc"): one changer core per library
// (lu_definition::library), its element map restored from the LU's state
// file. Its LUs have no store (lu_provider::no_store). At make() it
// creates the library's missing cartridge files blank (format:
// docs/tape-format.md) with their barcodes and capacities. Registered from
// actors/main.cpp.
#include <string>

#include "actors/contracts/lu_provider.hpp"

namespace stmfd::smc {

lu_provider provider();

// Creates each missing cartridge file of the library (its directory
// too): a blank cartridge, written to a temporary file, made durable and
// renamed into place. Returns empty, or why one could not be created.
std::string create_cartridges(const library_definition& library);

}  // namespace stmfd::smc
