/* The county page's one shared, mutable state (county.js and its modules read and write it). */
export const state = {
  tab: "halls",
  filters: {},
  selected: null, // {hall, number} of the case in the detail pane
  board: null, // the county board: the socket's snapshot or GET /network/board
  offset: 0, // server clock minus browser clock
  list: null,
  counts: null,
  listHalls: [],
  detail: null,
  detailStatus: null, // a line shown instead of the case: loading, or why it cannot be shown
  forms: {}, // action key -> {kind, text, busy}: what the 督办 form says
  units: {}, // hall code -> {unit code -> {zh, en}} from each hall's public catalogue
  loads: 0, // board loads answered
  listLoads: 0, // case list loads answered
  detailLoads: 0, // case detail loads drawn
  events: 0, // live events seen
  firstSeen: {}, // alert key -> when this page first saw it (0: there at the first load)
};
