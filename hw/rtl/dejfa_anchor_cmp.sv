// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_cmp: one comparison of the anchor confirm (issue #25; docs/HARDWARE.md "Anchor
 * confirm"; host model: afilt::occurs_at over the starts afilt::confirm_frame tries). Is the
 * anchor of a record present with its key ending at some lane of a beat, wholly inside the
 * frame's payload [c_lo, c_hi)? One comparison a cycle, three cycles from c_valid to m_valid.
 *
 * The beat comes as a window of W + 11 bytes: the 7 bytes before the beat, the beat, the 4 after
 * it (zeros where the frame has none). An anchor of 4-8 bytes keyed at offset k (its key ends at
 * lane x) starts at window byte x + 4 - k, so the block compares the anchor (afilt::cmp_record:
 * its bytes left-aligned in 8, `c_first` = 4 - k) at every start 0 .. W + 3 and shifts the W + 4
 * results down by c_first: W + 4 compares of 8 bytes and a W-bit shift, instead of W compares of
 * a 12-byte field placed around the key (first form: 4,970 LUT at 100g, this one 4,121). A byte
 * past the anchor's length is not compared, a nocase letter is compared without bit 5 (the
 * anchor holds it in lower case, so only its other case passes too). The payload bounds become
 * one range of starts per comparison (two subtractions), not a bound check per start.
 */
module dejfa_anchor_cmp #(
  /// AXI4-Stream data width in bits (64 or 512)
  parameter int unsigned DATA_W = 64,
  /// width of the tag carried with a comparison (the caller's beat and lane ids)
  parameter int unsigned TAG_W = 8,
  /// byte lanes (derived)
  localparam int unsigned W = DATA_W / 8,
  /// window bytes (derived): 7 before the beat, W, 4 after
  localparam int unsigned WB = W + 11
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// a comparison
  input  wire logic                c_valid,
  /// the window: byte i in bits 8i+7..8i is frame byte c_off - 7 + i
  input  wire logic [8*WB-1:0]     c_win,
  /// the frame offset of the beat's lane 0
  input  wire logic [15:0]         c_off,
  /// the frame's payload: frame bytes [c_lo, c_hi)
  input  wire logic [15:0]         c_lo,
  /// end of the payload (exclusive)
  input  wire logic [15:0]         c_hi,
  /// the anchor's bytes, the first in bits 7:0, zero past its length
  input  wire logic [63:0]         c_bytes,
  /// anchor bytes compared without bit 5 (the letters of a nocase anchor)
  input  wire logic [7:0]          c_fold,
  /// 4 - the offset of the anchor's key in it (0-4)
  input  wire logic [2:0]          c_first,
  /// the anchor's length (4-8)
  input  wire logic [3:0]          c_len,
  /// passed through with the result
  input  wire logic [TAG_W-1:0]    c_tag,

  /// the result, three cycles after c_valid
  output logic                     m_valid,
  /// the anchor occurs with its key ending in the beat, wholly inside the payload
  output logic                     m_found,
  /// the lanes where its key ends (bit x: lane x)
  output logic [W-1:0]             m_at,
  /// c_tag
  output logic [TAG_W-1:0]         m_tag
);
  initial begin
    if (W < 2 || W > 64 || DATA_W % 8 != 0) $fatal(1, "dejfa_anchor_cmp: DATA_W must be 16..512 (%m)");
  end

  // ---- stage 1: the comparison registered, the compare mask per anchor byte, the range of
  //      starts whose anchor lies in the payload
  localparam int unsigned NS = W + 4;  // starts: window bytes 0 .. W + 3
  logic              v1_q;
  logic [8*WB-1:0]   win1_q;
  logic [63:0]       byt1_q, msk1_q;
  logic [NS-1:0]     range1_q;
  logic [2:0]        first1_q;
  logic [TAG_W-1:0]  tag1_q;
  always_ff @(posedge clk) begin
    v1_q <= c_valid;
    if (c_valid) begin
      logic signed [18:0] smin, smax;  // starts s with the anchor in [lo, hi)
      win1_q <= c_win;
      byt1_q <= c_bytes;
      for (int unsigned j = 0; j < 8; j++) begin
        msk1_q[8*j +: 8] <= 4'(j) < c_len ? {2'b11, !c_fold[j], 5'b11111} : 8'h00;
      end
      // The anchor at start s spans frame bytes [c_off - 7 + s, c_off - 7 + s + c_len).
      smin = 19'(c_lo) - 19'(c_off) + 19'sd7;
      smax = 19'(c_hi) - 19'(c_off) + 19'sd7 - 19'(c_len);
      for (int unsigned x = 0; x < NS; x++) begin
        logic signed [18:0] xs;
        xs = 19'(x);
        range1_q[x] <= xs >= smin && xs <= smax;
      end
      first1_q <= c_first;
      tag1_q <= c_tag;
    end
    if (rst) v1_q <= 1'b0;
  end

  // ---- stage 2: the anchor at every start, then the starts moved to the lanes where the key
  //      ends (lane x: start x + c_first)
  logic              v2_q;
  logic [W-1:0]      at2_q;
  logic [TAG_W-1:0]  tag2_q;
  always_ff @(posedge clk) begin
    v2_q <= v1_q;
    if (v1_q) begin
      logic [NS-1:0] eq;
      for (int unsigned x = 0; x < NS; x++) begin
        eq[x] = range1_q[x] && ((win1_q[8*x +: 64] ^ byt1_q) & msk1_q) == 64'h0;
      end
      at2_q <= W'(eq >> first1_q);
      tag2_q <= tag1_q;
    end
    if (rst) v2_q <= 1'b0;
  end

  // ---- stage 3: found anywhere in the beat
  logic              v3_q, f3_q;
  logic [W-1:0]      at3_q;
  logic [TAG_W-1:0]  tag3_q;
  always_ff @(posedge clk) begin
    v3_q <= v2_q;
    if (v2_q) begin
      f3_q <= |at2_q;
      at3_q <= at2_q;
      tag3_q <= tag2_q;
    end
    if (rst) v3_q <= 1'b0;
  end

  assign m_valid = v3_q;
  assign m_found = f3_q;
  assign m_at = at3_q;
  assign m_tag = tag3_q;

  // The record: an anchor of 4-8 bytes with its key inside it (offset 4 - c_first <= len - 4).
  `DEJFA_ASSERT(KeyInAnchor_A, !c_valid || (c_first <= 3'd4 && c_len >= 4'd4 && c_len <= 4'd8 &&
                5'd4 - 5'(c_first) + 5'd4 <= 5'(c_len)), clk, rst)
endmodule

`resetall
`default_nettype wire
