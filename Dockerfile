# tickflow: one image for every processor (`tickflow run <processor>`), the simulator and `up`.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY web ./web
COPY docs/schemas ./docs/schemas
ENV HOST=0.0.0.0 PORT=8080 TICKFLOW_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER node
ENTRYPOINT ["node", "bin/tickflow.js"]
CMD ["up"]
