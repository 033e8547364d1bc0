"""Peer of `fairlead serve` for scripts/bench-serve --peer: the explanation service a
Python team would write — FastAPI on uvicorn, shap's TreeExplainer (path-dependent; shap
hands XGBoost models to XGBoost's own pred_contribs) on the same XGBoost model, the lead's
JSON row one-hot coded as fixtures/explanations/make_goldens.py codes it, attributions
summed per source column, the top N raising and lowering sources returned (the sensitive
age_band and the proxy postal_area withheld, as Fairlead withholds them), with the score.
No sentences are written.

    serve_fastapi.py --model M.json --port N [--workers 2] [--top 3]
"""
import argparse
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def goldens_module():
    spec = importlib.util.spec_from_file_location(
        "explanation_goldens", os.path.join(ROOT, "fixtures", "explanations", "make_goldens.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_app():
    import numpy as np
    import shap
    import xgboost as xgb
    from fastapi import FastAPI, HTTPException, Request

    goldens = goldens_module()
    top = int(os.environ["PEER_TOP"])
    booster = xgb.Booster(model_file=os.environ["PEER_MODEL"])
    booster.set_param({"nthread": 1})
    explainer = shap.TreeExplainer(booster, feature_perturbation="tree_path_dependent")
    names, sources = [], []
    for column, levels in goldens.CATEGORICAL.items():
        for level in levels:
            names.append((column, level))
            sources.append(column)
    for column in goldens.NUMERIC:
        names.append((column, None))
        sources.append(column)
    source_names = list(dict.fromkeys(sources))
    grouping = np.zeros((len(sources), len(source_names)))
    for feature, source in enumerate(sources):
        grouping[feature, source_names.index(source)] = 1
    withheld = [source_names.index(name) for name in ("postal_area", "age_band")]
    app = FastAPI()

    @app.post("/v1/explain")
    async def explain(request: Request):
        lead = await request.json()
        if not isinstance(lead, dict):
            raise HTTPException(status_code=422, detail="a JSON object")
        row = np.empty((1, len(names)))
        for index, (column, level) in enumerate(names):
            value = lead.get(column, "")
            if level is not None:
                row[0, index] = 1.0 if value == level else 0.0
            else:
                row[0, index] = float(value) if value not in ("", "NA", "NaN", "null", None) else np.nan
        values = explainer.shap_values(row, check_additivity=False)
        grouped = (values @ grouping)[0]
        grouped[withheld] = 0
        order = np.argsort(-grouped, kind="stable")
        raising = [{"feature": source_names[i], "contribution": float(grouped[i])} for i in order[:top] if grouped[i] > 0]
        lowering = [{"feature": source_names[i], "contribution": float(grouped[i])} for i in order[::-1][:top] if grouped[i] < 0]
        # The margin is the base value plus the attributions (shap's additivity).
        margin = float(np.ravel(explainer.expected_value)[0] + values.sum())
        return {"id": lead.get("lead_id"), "score": 1 / (1 + np.exp(-margin)), "margin": margin,
                "raising": raising, "lowering": lowering}

    return app


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    os.environ["PEER_MODEL"] = os.path.abspath(args.model)
    os.environ["PEER_TOP"] = str(args.top)
    import uvicorn
    uvicorn.run("serve_fastapi:make_app", factory=True, host="127.0.0.1", port=args.port, workers=args.workers,
                log_level="warning", app_dir=os.path.dirname(os.path.abspath(__file__)))


if __name__ == "__main__":
    main()
