// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_addr_class: the address classes of version 3's classifier (docs/HARDWARE.md "Address
 * classes", docs/IMAGE.md section 4.2). Two 129-bit keys {family, address} a cycle (a packet's
 * source and destination; IPv4 as ::a.b.c.d) become class ids: the index of the last of the
 * bank's sorted boundaries s[0..n-1] that is at most the key (s[0] = {IPv4, ::} is implicit).
 *
 * Pipelined binary search over an implicit tree: level l (L-1 down to 0) holds the boundaries
 * whose index has its lowest set bit at l, CLS_N / 2^(l+1) of them. With i the class bits found
 * so far, level l reads s[i | 2^l] and sets bit l when that index is below the bank's count n and
 * the boundary is at most the key. Two cycles a level (a registered memory read, then the
 * compare), so a lookup takes 2 L cycles; one lookup pair a cycle, no stall.
 *
 * Two banks: lookups read the bank named when they enter (act_bank) all the way through;
 * table writes go to any bank, and the loader writes only the shadow one (docs/HARDWARE.md
 * "Banks, COMMIT"). A load writes boundaries 1 .. n-1 and the count n; entries at or beyond n
 * are never compared, so stale keys from an earlier image need no clearing.
 */
module dejfa_addr_class #(
  /// classes (ADDR_CLS_N): a power of two, at least 4
  parameter int unsigned CLS_N = 64,
  /// width of the fields carried beside the keys, at least 1
  parameter int unsigned SIDE_W = 1,
  /// class id width (derived)
  localparam int unsigned L = $clog2(CLS_N),
  /// key width: family bit and 128 address bits
  localparam int unsigned KW = 129
) (
  input  wire logic              clk,
  input  wire logic              rst,
  /// table write: boundary tw_idx (1 .. CLS_N-1) of bank tw_bank
  input  wire logic              tw_valid,
  input  wire logic              tw_bank,
  input  wire logic [L-1:0]      tw_idx,
  input  wire logic [KW-1:0]     tw_key,
  /// count write: bank cnt_bank has cnt_n boundaries (1 .. CLS_N, s[0] included)
  input  wire logic              cnt_valid,
  input  wire logic              cnt_bank,
  input  wire logic [L:0]        cnt_n,
  /// the bank lookups entering now read
  input  wire logic              act_bank,
  /// lookups
  input  wire logic              s_valid,
  input  wire logic [KW-1:0]     s_key_a,
  input  wire logic [KW-1:0]     s_key_b,
  input  wire logic [SIDE_W-1:0] s_side,
  /// the lookup of 2 L cycles ago
  output logic                   m_valid,
  output logic [L-1:0]           m_cls_a,
  output logic [L-1:0]           m_cls_b,
  output logic [SIDE_W-1:0]      m_side
);
  initial begin
    if (CLS_N < 4 || (1 << L) != CLS_N) $fatal(1, "dejfa_addr_class: CLS_N must be a power of two >= 4 (%m)");
    if (SIDE_W < 1) $fatal(1, "dejfa_addr_class: SIDE_W must be at least 1 (%m)");
  end

  // The count of each bank.
  logic [L:0] cnt_q [2];
  always_ff @(posedge clk) begin
    if (rst) begin
      cnt_q[0] <= (L+1)'(1);
      cnt_q[1] <= (L+1)'(1);
    end else if (cnt_valid) begin
      cnt_q[cnt_bank] <= cnt_n;
    end
  end
  `DEJFA_ASSERT(CountInRange_A, !cnt_valid || (cnt_n >= (L+1)'(1) && cnt_n <= (L+1)'(CLS_N)), clk, rst)
  `DEJFA_ASSERT(BoundaryZeroIsImplicit_A, !tw_valid || tw_idx != '0, clk, rst)

  // Stage j (0 .. L-1) searches level L-1-j. Its two halves' registers, flat so that Verilator
  // and Yosys 0.23 both take them: "r" after the memory read, "c" after the compare.
  logic [L-1:0]        r_val, r_bank, c_val, c_bank;
  logic [L*KW-1:0]     r_ka, r_kb, c_ka, c_kb;
  logic [L*L-1:0]      r_ia, r_ib, c_ia, c_ib;
  logic [L*SIDE_W-1:0] r_side, c_side;
  logic [L*KW-1:0]     r_da, r_db;  // the boundaries read (of the lookup's bank)

  for (genvar j = 0; j < L; j++) begin : g_lv
    localparam int unsigned LV = L - 1 - j;          // level
    localparam int unsigned E = CLS_N >> (LV + 1);   // entries per bank
    localparam int unsigned AW = $clog2(E) + 1;      // bank bit and offset

    logic              val_in, bank_in;
    logic [KW-1:0]     ka_in, kb_in;
    logic [L-1:0]      ia_in, ib_in;
    logic [SIDE_W-1:0] side_in;
    if (j == 0) begin : g_in
      assign val_in  = s_valid && !rst;
      assign bank_in = act_bank;
      assign ka_in   = s_key_a;
      assign kb_in   = s_key_b;
      assign ia_in   = '0;
      assign ib_in   = '0;
      assign side_in = s_side;
    end else begin : g_prev
      assign val_in  = c_val[j-1];
      assign bank_in = c_bank[j-1];
      assign ka_in   = c_ka[KW*(j-1) +: KW];
      assign kb_in   = c_kb[KW*(j-1) +: KW];
      assign ia_in   = c_ia[L*(j-1) +: L];
      assign ib_in   = c_ib[L*(j-1) +: L];
      assign side_in = c_side[SIDE_W*(j-1) +: SIDE_W];
    end

    // The level's boundaries, one memory per bank so that each maps onto true dual-port block
    // RAM: port A reads the first key's boundary or, in the bank being loaded, takes the write;
    // port B reads the second key's. A write therefore disturbs lookups of its own bank only,
    // and the loader writes the bank no lookup reads (the shadow bank).
    localparam int unsigned OW = AW - 1;  // offset width (0 for a single entry)
    logic [KW-1:0] rd_a [2];
    logic [KW-1:0] rd_b [2];
    // A boundary's level is the position of its index's lowest set bit.
    logic tw_here;
    if (LV == 0) begin : g_w0
      assign tw_here = tw_idx[0];
    end else begin : g_wn
      assign tw_here = tw_idx[LV] && tw_idx[LV-1:0] == '0;
    end
    for (genvar b = 0; b < 2; b++) begin : g_bank
      logic [KW-1:0] mem [E];
      logic          we;
      assign we = tw_valid && tw_here && tw_bank == b[0];
      if (E == 1) begin : g_one
        always_ff @(posedge clk) begin
          if (we) mem[0] <= tw_key;
          rd_a[b] <= mem[0];
          rd_b[b] <= mem[0];
        end
      end else begin : g_many
        logic [OW-1:0] addr_a, addr_b;
        assign addr_a = we ? tw_idx[L-1:LV+1] : ia_in[L-1:LV+1];
        assign addr_b = ib_in[L-1:LV+1];
        always_ff @(posedge clk) begin
          if (we) mem[addr_a] <= tw_key;
          rd_a[b] <= mem[addr_a];
        end
        always_ff @(posedge clk) begin
          rd_b[b] <= mem[addr_b];
        end
      end
    end

    // Read half: the boundaries s[i | 2^LV] of both keys (both banks read; the lookup's own
    // bank is taken at the compare).
    always_ff @(posedge clk) begin
      r_val[j]                    <= val_in && !rst;
      r_bank[j]                   <= bank_in;
      r_ka[KW*j +: KW]            <= ka_in;
      r_kb[KW*j +: KW]            <= kb_in;
      r_ia[L*j +: L]              <= ia_in;
      r_ib[L*j +: L]              <= ib_in;
      r_side[SIDE_W*j +: SIDE_W]  <= side_in;
    end
    assign r_da[KW*j +: KW] = rd_a[r_bank[j]];
    assign r_db[KW*j +: KW] = rd_b[r_bank[j]];

    // Compare half: bit LV is set when index i | 2^LV is below the count and its boundary is at
    // most the key.
    logic [L-1:0] pa, pb;
    logic [L:0]   n;
    logic         hit_a, hit_b;
    assign pa    = r_ia[L*j +: L] | L'(1 << LV);
    assign pb    = r_ib[L*j +: L] | L'(1 << LV);
    assign n     = cnt_q[r_bank[j]];
    assign hit_a = {1'b0, pa} < n && r_da[KW*j +: KW] <= r_ka[KW*j +: KW];
    assign hit_b = {1'b0, pb} < n && r_db[KW*j +: KW] <= r_kb[KW*j +: KW];
    always_ff @(posedge clk) begin
      c_val[j]                    <= r_val[j] && !rst;
      c_bank[j]                   <= r_bank[j];
      c_ka[KW*j +: KW]            <= r_ka[KW*j +: KW];
      c_kb[KW*j +: KW]            <= r_kb[KW*j +: KW];
      c_ia[L*j +: L]              <= hit_a ? pa : r_ia[L*j +: L];
      c_ib[L*j +: L]              <= hit_b ? pb : r_ib[L*j +: L];
      c_side[SIDE_W*j +: SIDE_W]  <= r_side[SIDE_W*j +: SIDE_W];
    end
  end

  assign m_valid = c_val[L-1];
  assign m_cls_a = c_ia[L*(L-1) +: L];
  assign m_cls_b = c_ib[L*(L-1) +: L];
  assign m_side  = c_side[SIDE_W*(L-1) +: SIDE_W];
  // The last stage's keys and bank have no reader (Yosys drops those flip-flops).
  wire logic unused_last = ^{c_ka[KW*(L-1) +: KW], c_kb[KW*(L-1) +: KW], c_bank[L-1]};
endmodule

`resetall
`default_nettype wire
