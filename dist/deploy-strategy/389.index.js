export const id = 389;
export const ids = [389];
export const modules = {

/***/ 63389:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MODELS: () => (/* binding */ MODELS)
/* harmony export */ });
/* harmony import */ var kubernetes_models_apps_v1_Deployment__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83189);
/* harmony import */ var kubernetes_models_autoscaling_v2_HorizontalPodAutoscaler__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(37182);
/* harmony import */ var kubernetes_models_networking_k8s_io_v1_Ingress__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(40575);
/* harmony import */ var kubernetes_models_policy_v1_PodDisruptionBudget__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(94142);
/* harmony import */ var kubernetes_models_v1_ConfigMap__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98324);
/* harmony import */ var kubernetes_models_v1_Secret__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(26189);
/* harmony import */ var kubernetes_models_v1_Service__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2679);
/* harmony import */ var kubernetes_models_v1_ServiceAccount__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(44759);








const MODELS = {
    'apps/v1/Deployment': kubernetes_models_apps_v1_Deployment__WEBPACK_IMPORTED_MODULE_0__/* .Deployment */ .S,
    'v1/Service': kubernetes_models_v1_Service__WEBPACK_IMPORTED_MODULE_1__/* .Service */ .k,
    'v1/ConfigMap': kubernetes_models_v1_ConfigMap__WEBPACK_IMPORTED_MODULE_2__/* .ConfigMap */ .z,
    'v1/Secret': kubernetes_models_v1_Secret__WEBPACK_IMPORTED_MODULE_3__/* .Secret */ .z,
    'v1/ServiceAccount': kubernetes_models_v1_ServiceAccount__WEBPACK_IMPORTED_MODULE_4__/* .ServiceAccount */ .V,
    'networking.k8s.io/v1/Ingress': kubernetes_models_networking_k8s_io_v1_Ingress__WEBPACK_IMPORTED_MODULE_5__/* .Ingress */ .G,
    'autoscaling/v2/HorizontalPodAutoscaler': kubernetes_models_autoscaling_v2_HorizontalPodAutoscaler__WEBPACK_IMPORTED_MODULE_6__/* .HorizontalPodAutoscaler */ .T,
    'policy/v1/PodDisruptionBudget': kubernetes_models_policy_v1_PodDisruptionBudget__WEBPACK_IMPORTED_MODULE_7__/* .PodDisruptionBudget */ .i
};


/***/ })

};
