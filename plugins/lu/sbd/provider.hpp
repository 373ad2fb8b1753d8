#pragma once
// The disk LU provider ("sbd", COMSTAR's stmf_sbd) behind the LU provider
// contract (actors/contracts/lu_provider.hpp): main registers it; STMF asks
// it for one core per disk LU and hosts that core in an LU shell actor.
#include "actors/contracts/lu_provider.hpp"

namespace stmfd::sbd {

lu_provider provider();

}  // namespace stmfd::sbd
