#pragma once
// The block format of iscsi_pattern (tests/tools/iscsi_pattern.cpp): every
// logical block a write carries is self-describing, so a read-back names the
// write it came from, and a block that landed at the wrong LBA, a torn block
// or another run's data can be told apart from a stale or a current one.
//
// Layout (little endian): bytes 0-7 the magic "STMFDPAT", 8-15 the LBA the
// block was written to, 16-23 the id of the write (pattern_ledger's, >= 1),
// 24-31 the run's seed; the rest a pseudo-random stream derived from all
// three, so any byte changed anywhere in the block is seen.
#include <cstdint>
#include <span>

namespace stmfd::tools {

inline constexpr std::size_t pattern_header_bytes = 32;

// What a block read back holds.
struct block_content {
  enum class kind {
    blank,    // every byte 0 (a never written block of a sparse file)
    ours,     // a complete block of this run written for this LBA: write_id says which write
    foreign,  // not this run's (another seed, or data the test did not write)
    damaged,  // this run's magic and seed but the wrong LBA or a corrupted body (torn, misplaced)
  };
  kind what = kind::blank;
  std::uint64_t write_id = 0;  // for ours (and damaged, the id its header claims)
};

// Fills OUT (one logical block, at least pattern_header_bytes long) with the
// content write WRITE_ID puts at LBA.
void fill_block(std::span<std::uint8_t> out, std::uint64_t seed, std::uint64_t lba, std::uint64_t write_id);

// Decodes one logical block read back from LBA, for the run with SEED.
block_content decode_block(std::span<const std::uint8_t> in, std::uint64_t seed, std::uint64_t lba);

}  // namespace stmfd::tools
