export const id = 903;
export const ids = [903];
export const modules = {

/***/ 10903:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_1__);


// ssh2's bundled poly1305 (emscripten) reads `__dirname` while it loads. In an ESM bundle
// (dist/*/index.js) that name does not exist and the whole action would crash at start, so
// it is defined here, before 'ssh2' is imported. Harmless where __dirname already exists.
const scope = globalThis;
if (typeof scope.__dirname === 'undefined')
    scope.__dirname = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_1__.fileURLToPath)(import.meta.url));


/***/ })

};
