#pragma once
// The tape drive LU provider ("ssc"): one drive core per LU, its cartridge
// the definition's path (created blank, with the definition's barcode and
// size_bytes as capacity, when missing). Registered from actors/main.cpp.
#include "actors/contracts/lu_provider.hpp"

namespace stmfd::ssc {

lu_provider provider();

}  // namespace stmfd::ssc
