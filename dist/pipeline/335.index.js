export const id = 335;
export const ids = [335];
export const modules = {

/***/ 20335:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parsePipelineSettings: () => (/* reexport safe */ _slipway_pipeline__WEBPACK_IMPORTED_MODULE_0__.TG)
/* harmony export */ });
/* harmony import */ var _slipway_pipeline__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(52956);
// Its own module so the bundler makes the stages' settings parse a chunk that main.ts loads
// after the action's own inputs have been read.



/***/ })

};
