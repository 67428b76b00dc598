// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_ram_2r_lanes: dejfa_ram_2r whose port A writes up to LANES consecutive entries in one
 * cycle, all with the same data: entries {addr_a's group of LANES, lane l} for every set bit l of
 * we_lanes (a group is the entries whose index differs only in the low log2(LANES) bits). The
 * record port's fills (RT_FILL) repeat one entry over a run, so the 65,536-entry port tables
 * fill LANES entries a cycle (hw/dejfa_regs.toml [rtables] fill_lanes; docs/ARCHITECTURE.md
 * section 6, "Under a millisecond").
 *
 * LANES memories of DEPTH / LANES entries, one per lane (entry i in memory i mod LANES, at
 * i / LANES): the same bits as one memory of DEPTH, each memory with its own write enable. A
 * read reads its group in every lane memory and takes its lane from the registered outputs, one
 * cycle after its address as in dejfa_ram_2r (read-first on port A).
 */
module dejfa_ram_2r_lanes #(
  /// entries (a power of two, at least 2 * LANES)
  parameter int unsigned DEPTH = 65536,
  /// entry width in bits
  parameter int unsigned WIDTH = 16,
  /// entries written together (a power of two, at least 2)
  parameter int unsigned LANES = 4,
  localparam int unsigned AW = $clog2(DEPTH),
  localparam int unsigned LB = $clog2(LANES)
) (
  input  wire logic             clk,
  /// lanes of addr_a's group written with wdata (none: port A reads)
  input  wire logic [LANES-1:0] we_lanes,
  input  wire logic [AW-1:0]    addr_a,
  input  wire logic [WIDTH-1:0] wdata,
  output logic      [WIDTH-1:0] rd_a,
  input  wire logic [AW-1:0]    addr_b,
  output logic      [WIDTH-1:0] rd_b
);
  initial begin
    if (LANES < 2 || (1 << LB) != LANES || DEPTH < 2 * LANES || (1 << AW) != DEPTH)
      $fatal(1, "dejfa_ram_2r_lanes: LANES and DEPTH must be powers of two, DEPTH >= 2 * LANES (%m)");
  end

  logic [WIDTH-1:0] lane_a [LANES];
  logic [WIDTH-1:0] lane_b [LANES];
  for (genvar l = 0; l < LANES; l++) begin : g_lane
    dejfa_ram_2r #(.DEPTH(DEPTH / LANES), .WIDTH(WIDTH)) u_ram (
      .clk, .we(we_lanes[l]), .addr_a(addr_a[AW-1:LB]), .wdata,
      .rd_a(lane_a[l]), .addr_b(addr_b[AW-1:LB]), .rd_b(lane_b[l])
    );
  end

  logic [LB-1:0] lane_a_q, lane_b_q;
  always_ff @(posedge clk) begin
    lane_a_q <= addr_a[LB-1:0];
    lane_b_q <= addr_b[LB-1:0];
  end
  assign rd_a = lane_a[lane_a_q];
  assign rd_b = lane_b[lane_b_q];
endmodule

`resetall
`default_nettype wire
