#pragma once
// The disk's mode pages (SPC-4 7.5, SBC-3 6.4): Caching (08h), Control
// (0Ah), Informational Exceptions Control (1Ch). The Control page is kept
// per I_T nexus, the others are shared (VPD 87h reports it). Each page is described once
// and rendered for PAGE CONTROL current, changeable (a mask of the bits
// MODE SELECT may change) or default; saved values are not supported.

#include <cstddef>
#include <cstdint>
#include <span>

#include "plugins/lu/sbd/handler.hpp"

namespace stmfd::sbd::mode_pages {

struct page_spec {
  uint8_t code;
  uint8_t length;  // PAGE LENGTH field: bytes after the 2-byte page header
  // Writes length + 2 bytes: current/default values from `v`, or with
  // `mask` the changeable-bits mask.
  void (*fill)(uint8_t* p, const mode_state& v, bool mask);
  // Takes the changeable fields of a validated MODE SELECT page into `v`.
  void (*apply)(const uint8_t* p, mode_state& v);
  // SPC-4 7.8.9 mode page policy: true -> per I_T nexus (11b), false ->
  // shared (00b). A change to a shared page gives every other nexus MODE
  // PARAMETERS CHANGED; a per-nexus page changes nothing for the others.
  bool per_nexus;
};

// Ascending page code: the order of the all-pages (3Fh) reply.
std::span<const page_spec> pages();
const page_spec* find(uint8_t code);
// True when the two parameter sets differ in a shared page.
bool shared_pages_differ(const mode_state& a, const mode_state& b);

constexpr size_t max_page_len = 2 + 0x12;  // Caching is the largest

}  // namespace stmfd::sbd::mode_pages
